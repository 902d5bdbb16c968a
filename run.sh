#!/usr/bin/env bash
# Set everything up and serve SổTrường on 0.0.0.0:${PORT:-8080}; loads the demo school into a new database.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh
ensure_venv ""
.venv/bin/flask --app app init-db
if [ "${SOTRUONG_NO_DEMO:-0}" != "1" ]; then
  .venv/bin/flask --app app seed-demo --if-empty
fi
PORT="${PORT:-8080}"
ADDR=$(hostname -I 2>/dev/null | awk '{print $1}')
cat <<MSG

SổTrường đang chạy:  http://${ADDR:-localhost}:${PORT}/   (trên máy này: http://localhost:${PORT}/)
Tài khoản trường mẫu (mật khẩu: sotruong-demo):
  admin, hieutruong, phohieutruong, totruong, giaovien, chunhiem, yte, ketoan
Dừng máy chủ: Ctrl+C.

MSG
PORT="$PORT" exec .venv/bin/python app.py
