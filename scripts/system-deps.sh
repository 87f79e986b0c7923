#!/usr/bin/env bash
# Installs the Debian packages CountyWorks needs beyond Python: Chromium for the browser tests,
# LibreOffice for DOCX → PDF, a CJK font for charts and PDFs, poppler for pdftotext, HAProxy and
# PostgreSQL's server for the cluster test.
# Only what is missing is installed, so a prepared machine pays nothing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)  # pdftotext, pdffonts
# The PDF is set in Noto Serif CJK SC (reports/pdf_fonts.py): a Sans-only CJK font is not enough.
fc-list 2>/dev/null | grep -q "Noto Serif CJK SC" || need+=(fonts-noto-cjk)
# make cluster-test (issue 18): a real load balancer, and PostgreSQL's server binaries for its own
# primary and replica (initdb, pg_ctl, pg_basebackup).
command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)  # the cluster's shared cache
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
