{
  "format": "casevault-store-binding",
  "version": 2,
  "store": "db-19de9ea3",
  "master_sha256": "e14ae1d3e1a7a95bda6536d099850c02a03e1eb2f6e9b2165d404f53f9a1170e",
  "recipient": "age1vr6yy2cvhkwf2xau82arrryl5agd5ufuu0pch52cjqkky0t7ya4su04xgt",
  "generation": 1,
  "committed": true,
  "sig": "gQgEskxeL39RUIpihpl04nCuHD6zPPs+bUBGG4zdFQRPvOO5FmBipE9qAmrGgo29WtB+H3dO9BY6nlYiP2qiBQ=="
}
