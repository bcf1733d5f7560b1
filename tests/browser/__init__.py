"""Browser tests: the notebooks in JupyterLab in Debian's Chromium (see conftest.py)."""
