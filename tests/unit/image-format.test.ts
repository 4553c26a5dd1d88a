import { describe, expect, it } from 'vitest';
import { imageForWidth, type UploadedImage } from '../../src/core/domain/image-format';

// Strapi's upload: the original plus the copies it made (thumbnail 245, small 500, medium 750, large 1000 wide).
const photo: UploadedImage = {
  url: '/uploads/foto.jpg',
  width: 3000,
  height: 2000,
  formats: {
    thumbnail: { url: '/uploads/thumbnail_foto.jpg', width: 234, height: 156 },
    small: { url: '/uploads/small_foto.jpg', width: 500, height: 333 },
    medium: { url: '/uploads/medium_foto.jpg', width: 750, height: 500 },
    large: { url: '/uploads/large_foto.jpg', width: 1000, height: 667 },
  },
};

describe('imageForWidth', () => {
  it('takes the smallest copy at least as wide as shown, with the height scaled to the shown width', () => {
    expect(imageForWidth(photo, 536)).toEqual({ url: '/uploads/medium_foto.jpg', width: 536, height: 357 });
    expect(imageForWidth(photo, 500)).toEqual({ url: '/uploads/small_foto.jpg', width: 500, height: 333 });
    expect(imageForWidth(photo, 800)).toEqual({ url: '/uploads/large_foto.jpg', width: 800, height: 534 });
  });

  it('takes the original when no copy is wide enough, and never stretches a small image', () => {
    expect(imageForWidth(photo, 2000)).toEqual({ url: '/uploads/foto.jpg', width: 2000, height: 1333 });
    const small: UploadedImage = {
      url: '/uploads/logo.png',
      width: 320,
      height: 100,
      formats: { thumbnail: { url: '/uploads/t.png', width: 245, height: 77 } },
    };
    expect(imageForWidth(small, 536)).toEqual({ url: '/uploads/logo.png', width: 320, height: 100 });
  });

  it('keeps the original without sizes when the upload does not say them (an SVG, an old upload)', () => {
    expect(imageForWidth({ url: '/uploads/tekening.svg', width: null, height: null, formats: null }, 536)).toEqual({
      url: '/uploads/tekening.svg',
      width: null,
      height: null,
    });
    // A copy without a size is never chosen over one with.
    const partial: UploadedImage = {
      url: '/uploads/x.jpg',
      formats: { small: { url: '/uploads/small_x.jpg', width: 500, height: 250 }, medium: { url: '/uploads/medium_x.jpg' } },
    };
    expect(imageForWidth(partial, 536)).toEqual({ url: '/uploads/small_x.jpg', width: 500, height: 250 });
  });
});
