"""A small line chart written as PNG with numpy and zlib: enough for a learning curve, no plotting library.

Tick labels use a 3x5 pixel font of digits; the legend's meaning is given beside the chart.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

GLYPHS = {  # 3 wide x 5 high, row by row
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111", "3": "111001111001111",
    "4": "101101111001001", "5": "111100111001111", "6": "111100111101111", "7": "111001001001001",
    "8": "111101111101111", "9": "111101111001111", ".": "000000000000010", "%": "101001010100101",
}
GREY, BLACK, WHITE = (200, 200, 200), (40, 40, 40), (255, 255, 255)


def write_png(path: Path, pixels: np.ndarray) -> None:
    """pixels: height x width x 3, uint8 (8-bit RGB, no interlace)."""
    height, width, _ = pixels.shape

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))  # filter 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
                           + chunk(b"IEND", b""))


class Canvas:
    def __init__(self, width: int, height: int):
        self.pixels = np.full((height, width, 3), WHITE, dtype=np.uint8)

    def dot(self, x: float, y: float, colour, size: int = 2) -> None:
        x0, y0 = int(round(x)) - size // 2, int(round(y)) - size // 2
        self.pixels[max(y0, 0):max(y0 + size, 0), max(x0, 0):max(x0 + size, 0)] = colour

    def line(self, x0: float, y0: float, x1: float, y1: float, colour, size: int = 2) -> None:
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        for t in np.linspace(0.0, 1.0, steps):
            self.dot(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, colour, size)

    def text(self, x: int, y: int, text: str, colour=BLACK, scale: int = 2) -> None:
        for i, char in enumerate(text):
            bits = GLYPHS.get(char, "0" * 15)
            for k, bit in enumerate(bits):
                if bit == "1":
                    px, py = x + (i * 4 + k % 3) * scale, y + (k // 3) * scale
                    self.pixels[py:py + scale, px:px + scale] = colour


def line_chart(path: Path, series: list[tuple[list[float], list[float], tuple[int, int, int]]],
               x_max: float, y_min: float, y_max: float, x_step: float, y_step: float,
               bands: list[tuple[list[float], list[float], list[float], tuple[int, int, int]]] = (),
               size: tuple[int, int] = (720, 420)) -> None:
    """Lines (xs, ys, colour) over a grid from (0, y_min) to (x_max, y_max); bands are shaded (xs, low, high, colour)."""
    width, height = size
    left, right, top, bottom = 56, 16, 16, 36
    canvas = Canvas(width, height)
    px = lambda x: left + (width - left - right) * x / x_max  # noqa: E731
    py = lambda y: top + (height - top - bottom) * (1 - (y - y_min) / (y_max - y_min))  # noqa: E731
    for x in np.arange(0, x_max + 1e-9, x_step):
        canvas.line(px(x), py(y_min), px(x), py(y_max), GREY, 1)
        label = f"{x:g}"
        canvas.text(int(px(x)) - len(label) * 4, height - bottom + 8, label)
    for y in np.arange(y_min, y_max + 1e-9, y_step):
        canvas.line(px(0), py(y), px(x_max), py(y), GREY, 1)
        canvas.text(6, int(py(y)) - 5, f"{y:.2f}")
    for xs, low, high, colour in bands:
        for (xa, la, ha), (xb, lb, hb) in zip(zip(xs, low, high), zip(xs[1:], low[1:], high[1:])):
            for t in np.linspace(0.0, 1.0, int(px(xb) - px(xa)) + 1):
                x = px(xa + (xb - xa) * t)
                canvas.line(x, py(la + (lb - la) * t), x, py(ha + (hb - ha) * t), colour, 2)
    canvas.line(px(0), py(y_min), px(x_max), py(y_min), BLACK, 2)
    canvas.line(px(0), py(y_min), px(0), py(y_max), BLACK, 2)
    for xs, ys, colour in series:
        for (xa, ya), (xb, yb) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
            canvas.line(px(xa), py(ya), px(xb), py(yb), colour, 3)
        for x, y in zip(xs, ys):
            canvas.dot(px(x), py(y), colour, 7)
    write_png(path, canvas.pixels)
