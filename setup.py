"""A wheel carries the shipped models and the sample corpus inside the package, in ``casereview/_data``, so that
``pip install .`` or ``pipx install`` gives a casereview that runs as a source checkout does. An editable install
(``pip install -e .``) reads them where they are in the checkout (``corpus.package_root``)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED_FOLDERS = ("models", "corpora/sample")


class BuildWithShippedData(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        for folder in SHIPPED_FOLDERS:
            target = Path(self.build_lib) / "casereview" / "_data" / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(folder, target, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithShippedData})
