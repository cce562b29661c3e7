"""``python -m civilqa ...`` is ``civilqa ...``."""
from civilqa.cli import main

if __name__ == "__main__":
    main()
