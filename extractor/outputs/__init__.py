"""Outputs: files (Parquet, CSV, Excel, Stata, JSON lines), the batch store,
the command line and the notebook display."""
