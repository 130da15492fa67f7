"""Image files for upload tests, made here so the tests need nothing from outside."""

import io
import struct
import zlib

from PIL import Image


def jpeg(size=(1200, 700), colour=(30, 120, 200), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny, well-formed PNG that claims to be width x height: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def animated_gif(size=(800, 420)) -> bytes:
    frames = [Image.new("RGB", size, colour) for colour in ((200, 30, 30), (30, 200, 30))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()
