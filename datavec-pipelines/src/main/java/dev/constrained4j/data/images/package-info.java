/**
 * Images in: folders of PNG/JPEG/BMP files (optionally one subfolder per class), the ChestX-ray8/14 layout and
 * the MRI slices that ship with the project, decoded by DataVec's ImageRecordReader into {@code [n,3,size,size]}
 * arrays in [0, 1] with a seeded train/validation/test split.
 */
package dev.constrained4j.data.images;
