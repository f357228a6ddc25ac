"""Serve plotly.js from the installed plotly package, so there is no CDN and no copy in git."""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
FILE_NAME = "plotly.min.js"
PREFIX = "plotly"


class PlotlyFinder(BaseFinder):
    """Finds only `plotly/plotly.min.js`: the package directory holds other, unwanted files."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PLOTLY_DIR))
        self.storage.prefix = PREFIX  # type: ignore[attr-defined]  # read by collectstatic

    def check(self, **kwargs) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        if path == f"{PREFIX}/{FILE_NAME}":
            match = str(PLOTLY_DIR / FILE_NAME)
            return [match] if find_all or kwargs.get("all") else match
        return [] if find_all or kwargs.get("all") else None

    def list(self, ignore_patterns):
        yield FILE_NAME, self.storage
