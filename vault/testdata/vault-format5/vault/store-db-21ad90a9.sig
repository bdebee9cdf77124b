{
  "format": "casevault-store-binding",
  "version": 2,
  "store": "db-21ad90a9",
  "master_sha256": "03039b8d0da47b4f8e265aef44f11dc384a8b032cabbb577797132d84f8b683e",
  "recipient": "age18aafwm7n5tgukdszl8sxvwp5wz30y5queezy86hg2ftpqwnqp5cs4m50g2",
  "generation": 1,
  "committed": true,
  "sig": "QRbwKBbNonHOm6zBAy9w9PiCEV3Yr3dWkudXWFBuZ7K9SnUU8VEOGGjLytRxWlpMnb6dleZG1b96KTtnM3saCQ=="
}
