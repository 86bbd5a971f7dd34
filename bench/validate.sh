#!/usr/bin/env bash
# What mesh validate costs as a mesh grows: a generated mesh of N product specs (SPECS=200: 20 domains, each with
# ingest products and SQL products that read them, checks, SLAs and access rules) against the example mesh,
# validated ROUNDS times each with bin/mesh (no Spark); prints the medians and the time per spec; writes the rounds
# to bench/out/validate.csv.
#   bench/validate.sh [SPECS=200] [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
SPECS="${1:-200}"
ROUNDS="${2:-5}"
[[ -f jobs/target/mesh-jobs-spark.jar ]] || mvn -q -DskipTests package
MESH="$(mktemp -d)"
trap 'rm -rf "$MESH"' EXIT
DOMAINS=20
PER=$(( (SPECS + DOMAINS - 1) / DOMAINS ))
cat > "$MESH/platform.yaml" <<'YAML'
apiVersion: mesh/v1
kind: Platform
name: generated
storage: { root: zones }
YAML
made=0
for d in $(seq 1 $DOMAINS); do
  dom="domain$d"
  mkdir -p "$MESH/domains/$dom/products"
  cat > "$MESH/domains/$dom/domain.yaml" <<YAML
apiVersion: mesh/v1
kind: Domain
name: $dom
owners: [$dom@example.com]
sources: [ { name: $dom.orders, landing: orders } ]
YAML
  for p in $(seq 1 $PER); do
    (( made < SPECS )) || break
    made=$((made + 1))
    if (( p % 2 == 1 )); then
      cat > "$MESH/domains/$dom/products/orders$p.yaml" <<YAML
apiVersion: mesh/v1
kind: DataProduct
name: orders$p
domain: $dom
version: 1.0.0
owner: $dom@example.com
description: Orders of $dom, file $p.
inputs:
  - name: raw
    files: { source: $dom.orders, format: csv, options: { header: "true" } }
transform: { template: ingest }
output:
  mode: merge
  keys: [order_id]
  schema:
    - { name: order_id, type: bigint, required: true }
    - { name: amount, type: "decimal(12,2)" }
    - { name: status, type: string }
    - { name: ordered_at, type: timestamp }
quality:
  checks:
    - { check: allowedValues, column: status, values: [NEW, PAID, SHIPPED] }
    - { check: min, column: amount, atLeast: 0 }
    - { check: rowCount, min: 1 }
sla: { freshness: PT24H, minQualityScore: 0.99 }
YAML
    else
      up=$((p - 1))
      cat > "$MESH/domains/$dom/products/daily$p.yaml" <<YAML
apiVersion: mesh/v1
kind: DataProduct
name: daily$p
domain: $dom
version: 1.0.0
owner: $dom@example.com
description: Daily totals of orders$up.
inputs:
  - { name: orders, product: $dom.orders$up }
transform:
  template: sql
  sql: SELECT CAST(ordered_at AS DATE) AS day, count(*) AS orders, sum(amount) AS total FROM orders GROUP BY 1
output:
  mode: overwrite
  schema:
    - { name: day, type: date, required: true }
    - { name: orders, type: bigint }
    - { name: total, type: "decimal(22,2)" }
quality:
  checks:
    - { check: unique, column: day }
sla: { freshness: PT24H }
YAML
    fi
  done
done
echo "generated $made product specs in $DOMAINS domains"

time_of() {  # median wall time in ms of ROUNDS runs of bin/mesh validate on a platform file
  local file="$1" all=()
  for r in $(seq 1 "$ROUNDS"); do
    local start end
    start=$(date +%s%N)
    bin/mesh --platform "$file" validate >/dev/null 2>&1 || { echo "validate failed on $file" >&2; bin/mesh --platform "$file" validate | tail -5 >&2; exit 1; }
    end=$(date +%s%N)
    all+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${all[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'
}
bin/mesh --platform examples/platform.yaml validate >/dev/null 2>&1 || true   # the class-data-sharing archive
example=$(time_of examples/platform.yaml)
generated=$(time_of "$MESH/platform.yaml")
mkdir -p bench/out
echo "specs,median_ms,per_spec_ms" > bench/out/validate.csv
echo "9,$example,$(( example / 9 ))" >> bench/out/validate.csv
echo "$made,$generated,$(( generated / made ))" >> bench/out/validate.csv
echo "example mesh (9 products): median ${example} ms"
echo "generated mesh ($made products): median ${generated} ms, $(( generated / made )) ms per spec, $(awk -v g="$generated" -v e="$example" 'BEGIN {printf "%.2f", g / e}')x the example"
