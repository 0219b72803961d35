"""Stage 7, run: the yearly run that ties the stages together.

Takes data/raw and the notebooks; ingests, assesses each region once, runs every notebook with
papermill in warm kernels (``runner``, ``warm_kernel``), compares several regions (``regions``), and
publishes reports/<year>/<region>/ whole, one folder at a time.
"""
