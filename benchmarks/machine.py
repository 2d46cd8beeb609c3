"""What a benchmark ran on: CPU, cores, NumPy and its BLAS, and how busy the machine was."""
from __future__ import annotations

import datetime
import os
import platform

import numpy as np


def _cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _blas() -> str:
    config = np.show_config(mode="dicts")
    blas = config.get("Build Dependencies", {}).get("blas", {})
    return f"{blas.get('name', 'unknown')} {blas.get('version', '')}".strip()


def describe() -> dict:
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "blas": _blas(),
            "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}


def today() -> str:
    return datetime.date.today().isoformat()
