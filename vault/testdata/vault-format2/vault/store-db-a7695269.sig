{
  "format": "casevault-store-binding",
  "version": 2,
  "store": "db-a7695269",
  "master_sha256": "9cf685f30a5365fd2a606e68e5b30bfee2bfbb1f6dac82b94a33f6f051a7ae98",
  "recipient": "age1aale6mul7ewj492rujxaw302fapk4l3j6w4v4dpv48ayth806ajsk04yxk",
  "generation": 1,
  "committed": true,
  "sig": "tAyCHJW/tsR8EidizD/lWYrJMQPG3JAhqPsPzzk6tMYCWrGCCIGAbDL3HvXfOPgPAm/KPw+VdsGQEu7oFoAtAA=="
}
