#!/usr/bin/env python3
"""zxing-cpp on the benchmark's own door frames: the reference row of the door-frame tables.

Benchmark only, never a product or CI dependency: `pip install zxing-cpp` (PyPI, 3.1).
`cargo bench -p usher-camera --bench decode` writes its seeded frames as binary PGM files
(8-bit grey, byte for byte what the Rust decoders get) with a `manifest.tsv`, runs this
script on that folder and prints its rows next to the Rust ones. By hand:

    python3 crates/usher-camera/benches/zxing_cpp_reference.py FOLDER

manifest.tsv columns: file, set (720p | 1080p), difficulty (easy | medium | hard),
expected payload as hex (empty for a frame without a code).

Prints two Markdown rows, tab-separated from their label:
    door<TAB>| zxing-cpp | easy | medium | hard | all | wrong | phantoms |
    time<TAB>| zxing-cpp | 720p with | 720p without | 1080p with | 1080p without |
Decode time only (the frame already in memory), one thread, default options with QR only,
as docs/building.md ("QR decoding: measured facts") reports it.
"""

import os
import sys
import time

import zxingcpp
from importlib.metadata import version


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    # "P5\n<w> <h>\n255\n" then w*h bytes, as the benchmark writes it.
    fields = data.split(maxsplit=4)
    assert fields[0] == b"P5", path
    w, h = int(fields[1]), int(fields[2])
    pixels = data[len(data) - w * h :]
    return memoryview(pixels).cast("B", (h, w))


def stats(ms):
    if not ms:
        return "n/a"
    ms = sorted(ms)
    median = ms[len(ms) // 2]
    p95 = ms[min(len(ms) * 95 // 100, len(ms) - 1)]
    return f"{median:.2f} / {p95:.2f}"


def main(folder):
    rows = []
    with open(os.path.join(folder, "manifest.tsv")) as f:
        for line in f:
            name, frame_set, difficulty, expected = line.rstrip("\n").split("\t")
            rows.append((name, frame_set, difficulty, bytes.fromhex(expected) or None))
    qr = zxingcpp.BarcodeFormat.QRCode
    read = {"easy": 0, "medium": 0, "hard": 0}
    total = {"easy": 0, "medium": 0, "hard": 0}
    wrong = phantoms = no_code = 0
    times = {}
    for name, frame_set, difficulty, expected in rows:
        image = read_pgm(os.path.join(folder, name))
        start = time.perf_counter()
        found = zxingcpp.read_barcodes(image, formats=qr)
        elapsed = (time.perf_counter() - start) * 1000.0
        times.setdefault((frame_set, expected is not None), []).append(elapsed)
        if frame_set != "720p":
            continue
        texts = [b.bytes for b in found]
        if expected is None:
            no_code += 1
            phantoms += len(texts)
            continue
        total[difficulty] += 1
        if expected in texts:
            read[difficulty] += 1
        wrong += sum(1 for t in texts if t != expected)

    def pct(r, t):
        return f"{r}/{t} ({100.0 * r / max(t, 1):.0f}%)"

    all_read, all_total = sum(read.values()), sum(total.values())
    print(
        f"door\t| zxing-cpp {version('zxing-cpp')} (PyPI) | {pct(read['easy'], total['easy'])} | {pct(read['medium'], total['medium'])}"
        f" | {pct(read['hard'], total['hard'])} | {pct(all_read, all_total)} | {wrong}"
        f" | {phantoms} |"
    )
    print(
        f"time\t| zxing-cpp (PyPI) | {stats(times.get(('720p', True)))}"
        f" | {stats(times.get(('720p', False)))} | {stats(times.get(('1080p', True)))}"
        f" | {stats(times.get(('1080p', False)))} |"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
