import sys
from pathlib import Path

# Test helpers (op_testing.py) are imported by name from this folder.
sys.path.insert(0, str(Path(__file__).parent))
