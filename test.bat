@echo off
rem Set everything up and run the whole test suite; extra arguments go to pytest.
setlocal
cd /d "%~dp0"
if not exist .venv\Scripts\python.exe (py -3 -m venv .venv || python -m venv .venv)
.venv\Scripts\python -m pip install -q --disable-pip-version-check -e ".[test]" || exit /b 1
rem the tests spread over all cores (pytest-xdist), as in test.sh
.venv\Scripts\python -m pytest -n auto --dist loadgroup %*
