"""Write the SYNTHETIC district example to data/raw/synthetic/jinkouhe_synthetic_example.csv.

    python scripts/make_synthetic_example.py [--seed 20211001] [--out PATH]

The numbers are invented by ``synthetic.district.generate`` (see its docstring); every row says
synthetic=true. The file is written whole or not at all (temporary file, then os.replace), as
UTF-8 with LF line ends and a fixed number of decimals per unit, so the same seed always gives a
byte-identical file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

from synthetic.district import DEFAULT_SEED, generate, to_csv_frame  # noqa: E402

from analysis.files import write_whole  # noqa: E402

OUT = ROOT / "data" / "raw" / "synthetic" / "jinkouhe_synthetic_example.csv"


def write(path: Path = OUT, seed: int = DEFAULT_SEED) -> int:
    frame = to_csv_frame(generate(seed))
    write_whole(path, lambda tmp: frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8"))
    return len(frame)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = write(args.out, args.seed)
    print(f"wrote {rows} synthetic rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
