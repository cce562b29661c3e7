"""The ``civilqa`` command line: the composition root above every layer.

``civilqa/cli.py`` builds the typer app and asks each layer for its commands through the
``civilqa.commands`` entry points (``pyproject.toml``); it imports no layer itself, so the layers
stay one-way (ingest → index → assistant → ui | eval) and a layer that is not installed simply
adds no command.
"""
