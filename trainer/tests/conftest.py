import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def tiny_gguf() -> Path:
    """The tiny random-weight llama GGUF of scripts/ensure-tiny-model.sh (make tiny-model)."""
    configured = os.environ.get("QUARRY_TEST_GGUF")
    home = Path(os.environ.get("QUARRY_HOME", ROOT / ".quarry"))
    path = Path(configured) if configured else home / "models" / "tiny-test.gguf"
    if not path.is_file():
        pytest.fail(f"tiny test model missing at {path}: run scripts/ensure-tiny-model.sh")
    return path


@pytest.fixture
def tiny_copy(tiny_gguf: Path, tmp_path: Path) -> Path:
    target = tmp_path / "models" / "tiny.gguf"
    target.parent.mkdir(parents=True)
    shutil.copyfile(tiny_gguf, target)
    return target
