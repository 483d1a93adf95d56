"""The routers: what a browser opens (``pages``), the phones' API (``participant``), the facilitator's
API (``admin``, one module per resource)."""
