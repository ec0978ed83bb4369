/**
 * CTGAN (Xu et al. 2019) on DJL's PyTorch engine: residual generator, PacGAN critic, WGAN-GP loss,
 * Adam, training-by-sampling. Autograd does every backward pass; the state of a training run is a
 * plain {@link org.synthweave.synthesis.ctgan.ParamState} so Spark can average copies of it and a
 * checkpoint can hold it. No Spark here.
 */
package org.synthweave.synthesis.ctgan;
