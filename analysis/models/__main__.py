"""python -m analysis.models: the models with the default settings (see the package docstring)."""

from analysis.io import run_step
from analysis.models import main

run_step(main)
