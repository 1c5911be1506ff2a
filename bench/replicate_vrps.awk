# replicate_vrps.awk — the benchmarks' VRP set (bench/rov.sh, bench/validate.sh),
# derived deterministically from a real rpki-client/RIPE CSV export (ASN,IP
# Prefix,Max Length,...): every VRP is replicated `copies` times into other address
# space (IPv4: first octet rotated; IPv6: first 16-bit group shifted) with
# ASN + 1000*k (AS 0 stays AS 0), keeping the real mix of lengths, maxLengths,
# nesting and AS 0 ROAs. Prints "prefix maxlen asn" per VRP.
# usage: awk -F, -v copies=N -f bench/replicate_vrps.awk roas.csv
function hex(s,   i, v, c) { v = 0; s = tolower(s)
    for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
    return v }
NR > 1 {
    asn = $2; sub(/^AS/, "", asn); pfx = $3; maxlen = $4
    split(pfx, pl, "/"); addr = pl[1]; len = pl[2]
    for (k = 0; k < copies; k++) {
        if (index(addr, ":")) {
            n = split(addr, h, ":")
            g = sprintf("%x", (hex(h[1]) + k * 16) % 65536)
            if (g == "0") g = "2000"
            a = g; for (i = 2; i <= n; i++) a = a ":" h[i]
        } else {
            split(addr, o, ".")
            a = ((o[1] + 37 * k) % 223 + 1) "." o[2] "." o[3] "." o[4]
        }
        print a "/" len, maxlen, (asn == 0) ? 0 : asn + 1000 * k
    }
}
