{
  "format": "casevault-store-binding",
  "version": 2,
  "store": "db-4e659f63",
  "master_sha256": "5bc9b9427a4447ec47aa96a4378d2d700422da38804e445609bd8b821b9ec5a9",
  "recipient": "age1a4m873r8v0ttazn4y03wxjmymd2axglz69tmu39mqmg2z6vd75nq28wy8s",
  "generation": 1,
  "committed": true,
  "sig": "RrmyUqmQn07fgPZCInJPiXJDjxz409HWLST58cxzuRACP4+vk3TYqJVpkSb03RJEA9Xi/kUXAXQSzfgHIrGWAg=="
}
