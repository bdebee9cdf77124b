// Command s3put uploads one file to an S3-compatible store with minio-go,
// the client casevault uses: the baseline of testdata/bench/sync.sh
// (uploading an age-encrypted file). Credentials from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY.
//
//	s3put ENDPOINT BUCKET KEY FILE
package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: s3put ENDPOINT BUCKET KEY FILE")
		os.Exit(2)
	}
	u, err := url.Parse(os.Args[1])
	if err != nil {
		fail(err)
	}
	c, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), ""),
		Secure: u.Scheme == "https", BucketLookup: minio.BucketLookupPath, Region: "us-east-1"})
	if err != nil {
		fail(err)
	}
	ctx := context.Background()
	if ok, err := c.BucketExists(ctx, os.Args[2]); err != nil {
		fail(err)
	} else if !ok {
		if err := c.MakeBucket(ctx, os.Args[2], minio.MakeBucketOptions{}); err != nil {
			fail(err)
		}
	}
	f, err := os.Open(os.Args[4])
	if err != nil {
		fail(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		fail(err)
	}
	// The same part size and one part at a time, as casevault's upload.
	info, err := c.PutObject(ctx, os.Args[2], os.Args[3], struct{ io.Reader }{f}, fi.Size(),
		minio.PutObjectOptions{PartSize: 16 << 20, NumThreads: 1, ContentType: "application/octet-stream"})
	if err != nil {
		fail(err)
	}
	fmt.Println(info.Size, info.ETag)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "s3put:", err)
	os.Exit(1)
}
