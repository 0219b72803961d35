"""Evaluating the engine against what happened: the rolling-origin backtest and the forecasts' track record.

Takes the real series in data/raw and the engine of ``analysis.assessment``; gives the backtest's
scores and report (``reference`` → ``methods`` → ``scoring`` → ``choice`` → ``replay`` →
``backtest``, which writes reports/examples/backtest.md) and each run's forecast vintages with
their track record (``vintages``, read by the mid-term chapter).
"""
