{
  "format": "casevault-store-binding",
  "version": 2,
  "store": "db-c0d7eb2c",
  "master_sha256": "90d61bf4ac8d26dbf4590f093b802080e9a3e78c350f65a1bd74daa8dc59e760",
  "recipient": "age1yh68clv5ncn9kemjxuc6mnps5qsetcmtcta6f9areavrcdtlh96skrcet3",
  "generation": 1,
  "committed": true,
  "sig": "ANtwG3kRBq8eBmBfFjR24BHLunRqsWc/ZgtfIDT513oRP/qbJCPorVGiSbJylgzigfaJGbNoMNhmfkqKb9mwDg=="
}
