package browsertest

import (
	"image"
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInk(t *testing.T) {
	blank := image.NewRGBA(image.Rect(0, 0, 10, 10))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	assert.Equal(t, Ink{Share: 0, Colors: 1}, inkOf(blank))
	blank.Set(3, 3, color.RGBA{200, 0, 0, 255})
	blank.Set(4, 4, color.RGBA{0, 0, 200, 255})
	assert.Equal(t, Ink{Share: 0.02, Colors: 3}, inkOf(blank))
	assert.Equal(t, Ink{}, inkOf(image.NewRGBA(image.Rectangle{})))
}
