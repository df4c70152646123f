#!/usr/bin/env python3
"""zxing-cpp on the benchmark's own frames: the reference row of each frame set's table.

Benchmark only, never a product or CI dependency: `pip install zxing-cpp` (PyPI, 3.1).
`cargo bench -p usher-camera --bench decode` writes every frame of every set as a binary
PGM file (8-bit grey, byte for byte what the Rust decoders get) with a `manifest.tsv`, runs
this script on that folder and prints its rows under the Rust ones. By hand:

    python3 crates/usher-camera/benches/zxing_cpp_reference.py FOLDER

manifest.tsv columns: file, set label (tuned | fresh | corpus), group (difficulty or corpus
folder), expected payload as hex (empty for a frame without a code).

Prints one Markdown row per set, tab-separated from its label, in the Rust tables' columns:
    LABEL<TAB>| zxing-cpp 3.1.1 (PyPI) | reads | by group | wrong | phantoms | with | without |
A frame is read when a decoded text equals the expected payload (as the Rust side scores it).
Decode time only (the frame already in memory), one thread, default options with QR only.
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
    sets = {}
    with open(os.path.join(folder, "manifest.tsv")) as f:
        for line in f:
            name, label, group, expected = line.rstrip("\n").split("\t")
            sets.setdefault(label, []).append((name, group, bytes.fromhex(expected) or None))
    qr = zxingcpp.BarcodeFormat.QRCode
    for label, rows in sets.items():
        groups = {}
        wrong = phantoms = 0
        with_code, without = [], []
        for name, group, expected in rows:
            image = read_pgm(os.path.join(folder, name))
            start = time.perf_counter()
            found = zxingcpp.read_barcodes(image, formats=qr)
            elapsed = (time.perf_counter() - start) * 1000.0
            texts = [b.text.encode("utf-8") for b in found]
            if expected is None:
                without.append(elapsed)
                phantoms += len(texts)
                continue
            with_code.append(elapsed)
            g = groups.setdefault(group, [0, 0])
            g[1] += 1
            if expected in texts:
                g[0] += 1
            wrong += sum(1 for t in texts if t != expected)
        read = sum(g[0] for g in groups.values())
        total = sum(g[1] for g in groups.values())
        by_group = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(groups.items()))
        print(
            f"{label}\t| zxing-cpp {version('zxing-cpp')} (PyPI) | **{read}**/{total} | {by_group}"
            f" | {wrong} | {phantoms} | {stats(with_code)} | {stats(without)} |"
        )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
