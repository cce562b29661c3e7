"""The web interface (Gradio, ``ui.app``) and the ``civilqa`` command-line root (``ui.root``).

Importing this package imports nothing: ``civilqa ask`` loads ``ui.root`` without gradio, which
loads only inside the ``ui`` command (``ui.cli``).
"""
