/**
 * The Poincaré ball of curvature -c in double precision: Möbius addition and scalar
 * multiplication, geodesic distance, exponential and logarithmic maps, gyration, parallel
 * transport, the conformal factor, projection back inside, Riemannian gradients and the
 * weighted gyro-midpoint. The formulas and their numerical guards follow geoopt's
 * stereographic model, so values agree with embeddings and layers trained in PyTorch.
 */
package org.flowbench.compute.hyperbolic;
