# Sourced by the bench scripts. best COMMAND...: the best wall time in
# seconds over $rounds runs of COMMAND (output to /dev/null), measured with
# /usr/bin/time into $tmp/time. Needs $rounds and $tmp set by the caller.
best() {
  local b="" t
  for _ in $(seq "$rounds"); do
    /usr/bin/time -o "$tmp/time" -f '%e' "$@" >/dev/null 2>&1 || true
    t=$(tail -1 "$tmp/time")
    if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
  done
  echo "$b"
}
