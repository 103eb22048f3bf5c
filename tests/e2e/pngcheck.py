"""PNG checks for the browser tests, stdlib only (zlib + struct, no PIL).

  python3 pngcheck.py stats FILE [R,G,B...] -> "WIDTH HEIGHT DISTINCT_COLOURS NON_WHITE_FRACTION"
                                              then the pixel count of each given colour
  python3 pngcheck.py colours FILE R,G,B... -> pixels of each given colour (within +-24 per channel)
  python3 pngcheck.py crop FILE X Y W H OUT -> write the crop as a new PNG (to look at it)

Handles 8-bit greyscale, RGB and RGBA, non-interlaced: what Chromium writes."""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG" % path)
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace or ctype not in (0, 2, 6):
                raise ValueError("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, ctype, interlace))
            bpp = {0: 1, 2: 3, 6: 4}[ctype]
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def pixels(rows, bpp):
    for row in rows:
        for x in range(0, len(row), bpp):
            px = row[x:x + bpp]
            yield (px[0], px[0], px[0]) if bpp == 1 else (px[0], px[1], px[2])


def encode(path, width, height, rows, bpp):
    ctype = {1: 0, 3: 2, 4: 6}[bpp]
    raw = b"".join(b"\x00" + r for r in rows)
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, ctype, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main(argv):
    cmd, path = argv[1], argv[2]
    w, h, bpp, rows = decode(path)
    if cmd == "stats":
        wanted = [tuple(int(v) for v in c.split(",")) for c in argv[3:]]
        counts = [0] * len(wanted)
        colours, non_white, total = {}, 0, 0
        for px in pixels(rows, bpp):
            colours[px] = colours.get(px, 0) + 1
            total += 1
            if min(px) < 235:
                non_white += 1
        for px, n in colours.items():
            for k, c in enumerate(wanted):
                if all(abs(px[j] - c[j]) <= 24 for j in range(3)):
                    counts[k] += n
        print(w, h, len(colours), "%.4f" % (non_white / total), *counts)
    elif cmd == "colours":
        wanted = [tuple(int(v) for v in c.split(",")) for c in argv[3:]]
        counts = [0] * len(wanted)
        for px in pixels(rows, bpp):
            for k, c in enumerate(wanted):
                if all(abs(px[j] - c[j]) <= 24 for j in range(3)):
                    counts[k] += 1
        print(" ".join(str(c) for c in counts))
    elif cmd == "crop":
        x, y, cw, ch = (int(v) for v in argv[3:7])
        out = [r[x * bpp:(x + cw) * bpp] for r in rows[y:y + ch]]
        encode(argv[7], cw, len(out), out, bpp)
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
