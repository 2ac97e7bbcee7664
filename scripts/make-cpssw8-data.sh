#!/usr/bin/env bash
# Re-creates data/cpssw8/cpssw8.csv.gz, the US Current Population Survey extract CPSSW8 (61,395 workers, 1992-2004:
# hourly earnings, gender, age, region, years of education) that ships with the project, from the Debian package
# r-cran-aer 1.2-10-1 (R package AER by Kleiber and Zeileis, GPL-2+; the data come from Stock and Watson,
# "Introduction to Econometrics"). Needs apt-get download (network access to the Debian archive) and python3; no R.
# Checks the sha256 of the .rda file and of the CSV against docs/fairness.md. Usage: scripts/make-cpssw8-data.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out=${1:-"$here/../data/cpssw8"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q r-cran-aer=1.2-10-1 >/dev/null 2>&1 && dpkg-deb -x r-cran-aer_1.2-10-1_all.deb x)
rda="$work/x/usr/lib/R/site-library/AER/data/CPSSW8.rda"
check() {
  got=$(sha256sum "$1" | cut -d' ' -f1)
  if [ "$got" != "$2" ]; then
    echo "error: $1 has sha256 $got, expected $2" >&2
    exit 1
  fi
}
check "$rda" f9529721b9a807a5637fe850f270a55ed7c402176a87b451a1308589e3bfe530
python3 "$here/cpssw8_csv.py" "$rda" "$work/cpssw8.csv"
check "$work/cpssw8.csv" d1e9389790ae7961217ee8d4a00f133b80d7ac84929563d48ee72a0b068da5a0
mkdir -p "$out"
gzip -9 -n -c "$work/cpssw8.csv" > "$out/cpssw8.csv.gz.tmp" && mv "$out/cpssw8.csv.gz.tmp" "$out/cpssw8.csv.gz"
echo "wrote $out/cpssw8.csv.gz"
