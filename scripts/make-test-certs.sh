#!/usr/bin/env bash
# Makes throw-away certificates for testing Temporal over mutual TLS (never for production):
#   ca.pem / ca.key                  the test CA that the server trusts for client certificates
#   server.pem / server.key          the frontend's certificate, for 127.0.0.1 and localhost; it
#                                    is also the internode and system-worker certificate, so it
#                                    carries both serverAuth and clientAuth
#   client.pem / client.key          a worker's/CLI's client certificate signed by the test CA
#   other-ca.pem / other-ca.key      a second, unrelated CA
#   other-client.pem / other-client.key  a client certificate signed by the unrelated CA: the
#                                    server must refuse it
# Keys are PKCS#8 PEM ("BEGIN PRIVATE KEY"), the form Quarry's settings take.
# Usage: scripts/make-test-certs.sh DIR   (DIR is created; existing files there are replaced)
set -euo pipefail
dir="${1:?usage: $0 DIR}"
command -v openssl >/dev/null 2>&1 || { echo "openssl is needed: apt-get install openssl" >&2; exit 1; }
mkdir -p "$dir"
cd "$dir"
days=30

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

make_ca() { # name subject
  new_key "$1.key"
  openssl req -x509 -new -key "$1.key" -sha256 -days "$days" -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$1.pem"
}

make_leaf() { # name ca subject extensions
  new_key "$1.key"
  openssl req -new -key "$1.key" -subj "/CN=$3" -out "$1.csr"
  printf '%s\n' "$4" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -sha256 -days "$days" \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

make_ca ca "Quarry test CA"
make_ca other-ca "Unrelated test CA"
make_leaf server ca "localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=IP:127.0.0.1,DNS:localhost"
client_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
make_leaf client ca "quarry-worker" "$client_ext"
make_leaf other-client other-ca "quarry-worker" "$client_ext"
rm -f ./*.srl
chmod 0600 ./*.key
echo "test certificates in $(pwd)" >&2
