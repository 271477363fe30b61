package codec_test

import (
	"fmt"

	"github.com/wmsim/wmsim/internal/plugin/codec"
)

func ExampleCodec_Encode() {
	b, err := codec.Standard.Encode([]any{"a", 1.5, codec.Map{{Key: "k", Value: int64(7)}}})
	if err != nil {
		panic(err)
	}
	// list(3) | string "a" | float64 padded to offset 8 | map(1) "k" → int64 7
	fmt.Printf("% x\n", b)
	// Output:
	// 0c 03 07 01 61 06 00 00 00 00 00 00 00 00 f8 3f 0d 01 07 01 6b 04 07 00 00 00 00 00 00 00
}

func ExampleCodec_Decode() {
	_, err := codec.Standard.Decode([]byte{0x0c, 0x02, 0x03, 0x01, 0x00})
	fmt.Println(err)
	// Output:
	// codec: at byte 3 (value [0]): expected 4 bytes of int32, found 2 byte(s) left
}
