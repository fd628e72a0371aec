import sys

from addin.server import main

sys.exit(main())
