"""The participant server: FastAPI on uvicorn, run as a task inside the host's event loop."""
