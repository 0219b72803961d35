"""Write the SYNTHETIC district example to data/raw/synthetic/jinkouhe_synthetic_example.csv.

    python scripts/make_synthetic_example.py [--seed 20211001] [--out PATH] [--dense]

The numbers are invented by ``synthetic.district.generate`` (see its docstring); every row says
synthetic=true. The shipped file is that example as real district data arrive
(``synthetic.arrival.as_they_arrive``: surveys every 5 years, the census in 2020, elected bodies
at their 换届, some years missing, some indicators a year late), so that the first report a
researcher sees looks like theirs will; ``--dense`` writes every indicator in every year instead
(the tests use it to show what thinning changes). The file is written whole or not at all (temporary file, then os.replace), as
UTF-8 with LF line ends and a fixed number of decimals per unit, so the same seed always gives a
byte-identical file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

from synthetic.arrival import as_they_arrive  # noqa: E402
from synthetic.district import DEFAULT_SEED, generate, to_csv_frame  # noqa: E402

from analysis.files import write_whole  # noqa: E402

OUT = ROOT / "data" / "raw" / "synthetic" / "jinkouhe_synthetic_example.csv"


def example(seed: int = DEFAULT_SEED, dense: bool = False) -> pd.DataFrame:
    """The example as text, as it is shipped (or, ``dense``, every indicator in every year)."""
    frame = generate(seed)
    return to_csv_frame(frame if dense else as_they_arrive(frame))


def write(path: Path = OUT, seed: int = DEFAULT_SEED, dense: bool = False) -> int:
    frame = example(seed, dense)
    write_whole(path, lambda tmp: frame.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8"))
    return len(frame)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--dense", action="store_true", help="every indicator in every year (not shipped)")
    args = parser.parse_args(argv)
    rows = write(args.out, args.seed, args.dense)
    print(f"wrote {rows} synthetic rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
