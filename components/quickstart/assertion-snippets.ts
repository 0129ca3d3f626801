// The token request with a signed client assertion (private_key_jwt) instead
// of a secret, in each language of the Quickstart whose standard library signs
// RS256 with a PEM private key and that the tests run as written: curl (with
// openssl), Go, Node.js, PHP and Ruby. Each reads the key from
// private_key.pem (PKCS #8, what `openssl genpkey` writes) and signs a fresh
// assertion: iss = sub = the client id, aud = the token URL, a random jti,
// exp a minute ahead. The other languages get a note saying what to use.
import { goString, jsString, phpString, rubyString, shellString } from "./escape";
import type { Language, SnippetValues } from "./languages";

export const PRIVATE_KEY_FILE = "private_key.pem";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Make the key pair once; the public half is what the Credentials tab takes. */
export const KEY_PAIR_COMMANDS = `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ${PRIVATE_KEY_FILE}
openssl pkey -in ${PRIVATE_KEY_FILE} -pubout -out public_key.pem   # add this one on the Credentials tab`;

/** Why a language has no sample here: its standard library cannot sign, or it cannot keep a private key. */
export const ASSERTION_NOTES: Partial<Record<Language, string>> = {
  Python: 'Python\'s standard library cannot sign with a private key: use PyJWT (pip install pyjwt[crypto]) and jwt.encode(claims, key, algorithm="RS256").',
  Java: 'Sign with java.security.Signature ("SHA256withRSA") over base64url(header) + "." + base64url(claims), or with a JWT library such as Nimbus JOSE + JWT.',
  "C#": "Sign with RSA.ImportFromPem and SignData(…, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), or with System.IdentityModel.Tokens.Jwt.",
  jQuery: "A browser cannot keep a private key secret: request tokens from a backend service, never from a web page.",
  "Objective-C":
    "Sign with the Security framework's SecKeyCreateSignature (kSecKeyAlgorithmRSASignatureMessagePKCS1v15SHA256) on a backend or device you control.",
  Swift: "Sign with the Security framework's SecKeyCreateSignature (.rsaSignatureMessagePKCS1v15SHA256) on a backend or device you control.",
};

/** The assertion sample for `language`, or null when it has a note instead. */
export function assertionSnippet(language: Language, v: SnippetValues): string | null {
  switch (language) {
    case "curl":
      return curl(v);
    case "Go":
      return go(v);
    case "Node.js":
      return node(v);
    case "PHP":
      return php(v);
    case "Ruby":
      return ruby(v);
    default:
      return null;
  }
}

function curl(v: SnippetValues): string {
  const json = (value: string) => shellString(JSON.stringify(value));
  return `b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '%s' '{"alg":"RS256","typ":"JWT"}' | b64url)
claims=$(printf '{"iss":%s,"sub":%s,"aud":%s,"jti":"%s","iat":%d,"exp":%d}' \\
  ${json(v.clientId)} ${json(v.clientId)} ${json(v.tokenUrl)} "$(openssl rand -hex 16)" "$now" "$((now + 60))" | b64url)
signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign ${PRIVATE_KEY_FILE} -binary | b64url)

curl --request POST \\
  --url ${shellString(v.tokenUrl)} \\
  --data grant_type=client_credentials \\
  --data-urlencode audience=${shellString(v.audience)} \\
  --data client_assertion_type=${JWT_BEARER} \\
  --data "client_assertion=$header.$claims.$signature"`;
}

function go(v: SnippetValues): string {
  return `package main

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"
)

func main() {
	tokenURL := ${goString(v.tokenUrl)}
	clientID := ${goString(v.clientId)}

	// The application's private key: Grantry holds only its public key.
	keyPEM, err := os.ReadFile(${goString(PRIVATE_KEY_FILE)})
	if err != nil {
		panic(err)
	}
	block, _ := pem.Decode(keyPEM)
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		panic(err)
	}
	key := parsed.(*rsa.PrivateKey)

	jti := make([]byte, 16)
	rand.Read(jti)
	now := time.Now().Unix()
	enc := base64.RawURLEncoding
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]interface{}{
		"iss": clientID, "sub": clientID, "aud": tokenURL,
		"jti": hex.EncodeToString(jti), "iat": now, "exp": now + 60,
	})
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(claims)
	digest := sha256.Sum256([]byte(input))
	signature, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		panic(err)
	}

	res, err := http.PostForm(tokenURL, url.Values{
		"grant_type":            {"client_credentials"},
		"audience":              {${goString(v.audience)}},
		"client_assertion_type": {"${JWT_BEARER}"},
		"client_assertion":      {input + "." + enc.EncodeToString(signature)},
	})
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(string(body))
}`;
}

function node(v: SnippetValues): string {
  return `import { randomUUID, sign } from "node:crypto";
import { readFileSync } from "node:fs";

const tokenUrl = ${jsString(v.tokenUrl)};
const clientId = ${jsString(v.clientId)};
// The application's private key: Grantry holds only its public key.
const privateKey = readFileSync(${jsString(PRIVATE_KEY_FILE)}, "utf8");

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const claims = { iss: clientId, sub: clientId, aud: tokenUrl, jti: randomUUID(), iat: now, exp: now + 60 };
const input = b64url({ alg: "RS256", typ: "JWT" }) + "." + b64url(claims);
const assertion = input + "." + sign("sha256", Buffer.from(input), privateKey).toString("base64url");

const res = await fetch(tokenUrl, {
  method: "POST",
  body: new URLSearchParams({
    grant_type: "client_credentials",
    audience: ${jsString(v.audience)},
    client_assertion_type: "${JWT_BEARER}",
    client_assertion: assertion,
  }),
});
console.log(await res.text());`;
}

function php(v: SnippetValues): string {
  return `$tokenUrl = ${phpString(v.tokenUrl)};
$clientId = ${phpString(v.clientId)};
// The application's private key: Grantry holds only its public key.
$privateKey = openssl_pkey_get_private(file_get_contents(${phpString(PRIVATE_KEY_FILE)}));

$b64url = fn ($data) => rtrim(strtr(base64_encode($data), '+/', '-_'), '=');
$now = time();
$claims = ['iss' => $clientId, 'sub' => $clientId, 'aud' => $tokenUrl, 'jti' => bin2hex(random_bytes(16)), 'iat' => $now, 'exp' => $now + 60];
$input = $b64url(json_encode(['alg' => 'RS256', 'typ' => 'JWT'])) . '.' . $b64url(json_encode($claims));
openssl_sign($input, $signature, $privateKey, OPENSSL_ALGO_SHA256);

$curl = curl_init($tokenUrl);
curl_setopt_array($curl, [
  CURLOPT_POST => true,
  CURLOPT_RETURNTRANSFER => true,
  CURLOPT_POSTFIELDS => http_build_query([
    'grant_type' => 'client_credentials',
    'audience' => ${phpString(v.audience)},
    'client_assertion_type' => '${JWT_BEARER}',
    'client_assertion' => $input . '.' . $b64url($signature),
  ]),
]);
echo curl_exec($curl);`;
}

function ruby(v: SnippetValues): string {
  return `require 'json'
require 'net/http'
require 'openssl'
require 'securerandom'

token_url = URI(${rubyString(v.tokenUrl)})
client_id = ${rubyString(v.clientId)}
# The application's private key: Grantry holds only its public key.
key = OpenSSL::PKey.read(File.read(${rubyString(PRIVATE_KEY_FILE)}))

b64url = ->(data) { [data].pack('m0').tr('+/', '-_').delete('=') }
now = Time.now.to_i
claims = { iss: client_id, sub: client_id, aud: token_url.to_s, jti: SecureRandom.uuid, iat: now, exp: now + 60 }
input = "#{b64url.(JSON.generate(alg: 'RS256', typ: 'JWT'))}.#{b64url.(JSON.generate(claims))}"
assertion = "#{input}.#{b64url.(key.sign(OpenSSL::Digest.new('SHA256'), input))}"

response = Net::HTTP.post_form(token_url,
  'grant_type' => 'client_credentials',
  'audience' => ${rubyString(v.audience)},
  'client_assertion_type' => '${JWT_BEARER}',
  'client_assertion' => assertion)
puts response.body`;
}
