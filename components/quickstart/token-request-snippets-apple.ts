// Objective-C and Swift token requests from seed 002. The seed's Swift is
// Swift 1 (NSJSONSerialization, println) and no longer compiles: this is the
// same request in today's Foundation API.
import { objcString, swiftString } from "./escape";
import { SECRET_PLACEHOLDER, type SnippetValues } from "./languages";

export function tokenRequestSnippetsApple(language: "Objective-C" | "Swift", v: SnippetValues): string {
  const secret = v.secret ?? SECRET_PLACEHOLDER;
  if (language === "Objective-C") {
    return `#import <Foundation/Foundation.h>

NSDictionary *headers = @{ @"content-type": @"application/json" };
NSDictionary *parameters = @{ @"grant_type": @"client_credentials",
                              @"client_id": ${objcString(v.clientId)},
                              @"client_secret": ${objcString(secret)},
                              @"audience": ${objcString(v.audience)} };

NSData *postData = [NSJSONSerialization dataWithJSONObject:parameters options:0 error:nil];

NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:[NSURL URLWithString:${objcString(v.tokenUrl)}]
                                                       cachePolicy:NSURLRequestUseProtocolCachePolicy
                                                   timeoutInterval:10.0];
[request setHTTPMethod:@"POST"];
[request setAllHTTPHeaderFields:headers];
[request setHTTPBody:postData];

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
  }
  return `import Foundation

let headers = ["content-type": "application/json"]
let parameters = [
  "grant_type": "client_credentials",
  "client_id": ${swiftString(v.clientId)},
  "client_secret": ${swiftString(secret)},
  "audience": ${swiftString(v.audience)}
]

let postData = try JSONSerialization.data(withJSONObject: parameters, options: [])

var request = URLRequest(url: URL(string: ${swiftString(v.tokenUrl)})!,
                         cachePolicy: .useProtocolCachePolicy,
                         timeoutInterval: 10.0)
request.httpMethod = "POST"
request.allHTTPHeaderFields = headers
request.httpBody = postData

let dataTask = URLSession.shared.dataTask(with: request) { data, response, error in
  if let error = error {
    print(error)
  } else if let data = data {
    print(String(decoding: data, as: UTF8.self))
  }
}

dataTask.resume()`;
}
