"""The participant server: FastAPI on uvicorn, run as a task inside the host's event loop.

Only constants live here: the command line reads them to build its parser, which must not import
FastAPI or uvicorn (``workshop-tui --help`` pays for no server).
"""

DEFAULT_PORT = 8765
