"""The answer layer: figures, facts, tables and the checks every answer passes.

- :mod:`.figures`: every quantity in a text with its value and unit (Chinese numerals too);
- :mod:`.injection`: text that talks to a model, never quoted on any path;
- :mod:`.facts`: every quantity of a document as a :class:`~.facts.Fact` (kind, measure,
  qualifiers, region, previous value, exact span);
- :mod:`.tables`: tab-separated and markdown tables as header plus rows;
- :mod:`.invariants`: what must hold before an answer leaves.

Standard library only at import (cn2an loads on the first Chinese numeral).
"""
