// Seed 002's "Call your API": the token as a Bearer credential, per language.
import { csharpString, goString, javaString, jsString, objcString, phpString, pythonString, rubyString, shellString, swiftString } from "./escape";
import { type Language, splitUrl } from "./languages";

const TOKEN = "ACCESS_TOKEN";

export function callApiSnippet(language: Language, url: string): string {
  switch (language) {
    case "curl":
      return `curl --request GET \\
  --url ${shellString(url)} \\
  --header 'authorization: Bearer ${TOKEN}' \\
  --header 'content-type: application/json'`;
    case "C#":
      return `var client = new RestClient(${csharpString(url)});
var request = new RestRequest(Method.GET);
request.AddHeader("authorization", "Bearer ${TOKEN}");
request.AddHeader("content-type", "application/json");
IRestResponse response = client.Execute(request);`;
    case "Go":
      return `package main

import (
	"fmt"
	"net/http"
	"io/ioutil"
)

func main() {

	url := ${goString(url)}

	req, _ := http.NewRequest("GET", url, nil)

	req.Header.Add("content-type", "application/json")
	req.Header.Add("authorization", "Bearer ${TOKEN}")

	res, _ := http.DefaultClient.Do(req)

	defer res.Body.Close()
	body, _ := ioutil.ReadAll(res.Body)

	fmt.Println(res)
	fmt.Println(string(body))

}`;
    case "Java":
      return `HttpResponse<String> response = Unirest.get(${javaString(url)})
  .header("content-type", "application/json")
  .header("authorization", "Bearer ${TOKEN}")
  .asString();`;
    case "jQuery":
      return `var settings = {
  "async": true,
  "crossDomain": true,
  "url": ${jsString(url)},
  "method": "GET",
  "headers": {
    "content-type": "application/json",
    "authorization": "Bearer ${TOKEN}"
  }
}

$.ajax(settings).done(function (response) {
  console.log(response);
});`;
    case "Node.js":
      return `var request = require("request");

var options = { method: 'GET',
  url: ${jsString(url)},
  headers: 
   { authorization: 'Bearer ${TOKEN}',
     'content-type': 'application/json' } };

request(options, function (error, response, body) {
  if (error) throw new Error(error);

  console.log(body);
});`;
    case "Objective-C":
      return `#import <Foundation/Foundation.h>

NSDictionary *headers = @{ @"content-type": @"application/json",
                           @"authorization": @"Bearer ${TOKEN}" };

NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:[NSURL URLWithString:${objcString(url)}]
                                                       cachePolicy:NSURLRequestUseProtocolCachePolicy
                                                   timeoutInterval:10.0];
[request setHTTPMethod:@"GET"];
[request setAllHTTPHeaderFields:headers];

NSURLSession *session = [NSURLSession sharedSession];
NSURLSessionDataTask *dataTask = [session dataTaskWithRequest:request
                                            completionHandler:^(NSData *data, NSURLResponse *response, NSError *error) {
                                                if (error) {
                                                    NSLog(@"%@", error);
                                                } else {
                                                    NSHTTPURLResponse *httpResponse = (NSHTTPURLResponse *) response;
                                                    NSLog(@"%@", httpResponse);
                                                }
                                            }];
[dataTask resume];`;
    case "PHP":
      return `$curl = curl_init();

curl_setopt_array($curl, array(
  CURLOPT_URL => ${phpString(url)},
  CURLOPT_RETURNTRANSFER => true,
  CURLOPT_ENCODING => "",
  CURLOPT_MAXREDIRS => 10,
  CURLOPT_TIMEOUT => 30,
  CURLOPT_HTTP_VERSION => CURL_HTTP_VERSION_1_1,
  CURLOPT_CUSTOMREQUEST => "GET",
  CURLOPT_HTTPHEADER => array(
    "authorization: Bearer ${TOKEN}",
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

headers = {
    'content-type': "application/json",
    'authorization': "Bearer ${TOKEN}"
    }

conn.request("GET", ${pythonString(path)}, headers=headers)

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

request = Net::HTTP::Get.new(url)
request["content-type"] = 'application/json'
request["authorization"] = 'Bearer ${TOKEN}'

response = http.request(request)
puts response.read_body`;
    case "Swift":
      return `import Foundation

let headers = [
  "content-type": "application/json",
  "authorization": "Bearer ${TOKEN}"
]

var request = URLRequest(url: URL(string: ${swiftString(url)})!,
                         cachePolicy: .useProtocolCachePolicy,
                         timeoutInterval: 10.0)
request.httpMethod = "GET"
request.allHTTPHeaderFields = headers

let dataTask = URLSession.shared.dataTask(with: request) { data, response, error in
  if let error = error {
    print(error)
  } else if let data = data {
    print(String(decoding: data, as: UTF8.self))
  }
}

dataTask.resume()`;
  }
}
