"""``python -m ui ...`` is ``civilqa ...``."""
from ui.root import main

if __name__ == "__main__":
    main()
