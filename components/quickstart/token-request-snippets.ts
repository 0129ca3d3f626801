// Seed 002's token request in each language, filled with the application's
// values. Two fixes to the seed: Python connects to the real host (the seed's
// is empty), and Ruby verifies TLS (the seed turns verification off).
import { csharpString, goString, javaString, jsString, phpString, pythonString, rubyString, shellString } from "./escape";
import { type Language, SECRET_PLACEHOLDER, type SnippetValues, splitUrl, tokenBody } from "./languages";
import { tokenRequestSnippetsApple } from "./token-request-snippets-apple";

export function tokenRequestSnippet(language: Language, v: SnippetValues): string {
  const json = tokenBody(v);
  const url = v.tokenUrl;
  switch (language) {
    case "curl":
      return `curl --request POST \\
  --url ${shellString(url)} \\
  --header 'content-type: application/json' \\
  --data ${shellString(json)}`;
    case "C#":
      return `var client = new RestClient(${csharpString(url)});
var request = new RestRequest(Method.POST);
request.AddHeader("content-type", "application/json");
request.AddParameter("application/json", ${csharpString(json)}, ParameterType.RequestBody);
IRestResponse response = client.Execute(request);`;
    case "Go":
      return `package main

import (
	"fmt"
	"strings"
	"net/http"
	"io/ioutil"
)

func main() {

	url := ${goString(url)}

	payload := strings.NewReader(${goString(json)})

	req, _ := http.NewRequest("POST", url, payload)

	req.Header.Add("content-type", "application/json")

	res, _ := http.DefaultClient.Do(req)

	defer res.Body.Close()
	body, _ := ioutil.ReadAll(res.Body)

	fmt.Println(res)
	fmt.Println(string(body))

}`;
    case "Java":
      return `HttpResponse<String> response = Unirest.post(${javaString(url)})
  .header("content-type", "application/json")
  .body(${javaString(json)})
  .asString();`;
    case "jQuery":
      return `var settings = {
  "async": true,
  "crossDomain": true,
  "url": ${jsString(url)},
  "method": "POST",
  "headers": {
    "content-type": "application/json"
  },
  "processData": false,
  "data": ${jsString(json)}
}

$.ajax(settings).done(function (response) {
  console.log(response);
});`;
    case "Node.js":
      return `var request = require("request");

var options = { method: 'POST',
  url: ${jsString(url)},
  headers: { 'content-type': 'application/json' },
  body: 
   { grant_type: 'client_credentials',
     client_id: ${jsString(v.clientId)},
     client_secret: ${jsString(v.secret ?? SECRET_PLACEHOLDER)},
     audience: ${jsString(v.audience)} },
  json: true };

request(options, function (error, response, body) {
  if (error) throw new Error(error);

  console.log(body);
});`;
    case "PHP":
      return `$curl = curl_init();

curl_setopt_array($curl, array(
  CURLOPT_URL => ${phpString(url)},
  CURLOPT_RETURNTRANSFER => true,
  CURLOPT_ENCODING => "",
  CURLOPT_MAXREDIRS => 10,
  CURLOPT_TIMEOUT => 30,
  CURLOPT_HTTP_VERSION => CURL_HTTP_VERSION_1_1,
  CURLOPT_CUSTOMREQUEST => "POST",
  CURLOPT_POSTFIELDS => ${phpString(json)},
  CURLOPT_HTTPHEADER => array(
    "content-type: application/json"
  ),
));

$response = curl_exec($curl);
$err = curl_error($curl);

curl_close($curl);

if ($err) {
  echo "cURL Error #:" . $err;
} else {
  echo $response;
}`;
    case "Python": {
      const { https, host, path } = splitUrl(url);
      return `import http.client

conn = http.client.${https ? "HTTPSConnection" : "HTTPConnection"}(${pythonString(host)})

payload = ${pythonString(json)}

headers = { 'content-type': "application/json" }

conn.request("POST", ${pythonString(path)}, payload, headers)

res = conn.getresponse()
data = res.read()

print(data.decode("utf-8"))`;
    }
    case "Ruby":
      return `require 'uri'
require 'net/http'

url = URI(${rubyString(url)})

http = Net::HTTP.new(url.host, url.port)
http.use_ssl = url.scheme == "https"

request = Net::HTTP::Post.new(url)
request["content-type"] = 'application/json'
request.body = ${rubyString(json)}

response = http.request(request)
puts response.read_body`;
    case "Objective-C":
    case "Swift":
      return tokenRequestSnippetsApple(language, v);
  }
}
