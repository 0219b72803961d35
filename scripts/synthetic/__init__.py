"""Generators of the SYNTHETIC examples (合成示例数据): seeded, never statistics.

``district``: the synthetic Jinkouhe district and its towns (``make_synthetic_example.py`` writes it
to data/raw/synthetic/). ``counties``: a synthetic multi-county panel for the speed benchmark and
its tests, never written to data/raw. Kept out of the ``analysis`` package: no run needs them.
"""
