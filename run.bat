@echo off
rem Set everything up and serve SổTrường on port %PORT% (default 8080) on a Windows school server.
setlocal
cd /d "%~dp0"
if not exist .venv\Scripts\python.exe (py -3 -m venv .venv || python -m venv .venv)
.venv\Scripts\python -m pip install -q --disable-pip-version-check -e . || exit /b 1
.venv\Scripts\flask --app app init-db || exit /b 1
if not "%SOTRUONG_NO_DEMO%"=="1" .venv\Scripts\flask --app app seed-demo --if-empty
if "%PORT%"=="" set PORT=8080
echo.
echo SoTruong dang chay: http://localhost:%PORT%/
echo Tai khoan truong mau (mat khau sotruong-demo): admin, hieutruong, phohieutruong, totruong, giaovien, chunhiem, yte, ketoan
.venv\Scripts\python app.py
