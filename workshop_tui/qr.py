"""QR code module matrix for the join URL (core: no textual here; the widget lives in screens/)."""

from __future__ import annotations

import qrcode
import qrcode.constants

QUIET_ZONE = 4
"""Modules of light border around the symbol, as the QR spec requires for reliable scanning."""


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR symbol for ``data`` with its 4-module quiet zone, as rows of modules: True = dark.

    Error correction M. The smallest version that fits is chosen; an all-upper-case URL (see
    ``netaddr.is_qr_alphanumeric``) is encoded in alphanumeric mode and gives a smaller symbol.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    # get_matrix() repeats one list object for the border rows: copy every row.
    return [[bool(module) for module in row] for row in code.get_matrix()]
