package io.modelmesh.sklearn;

import java.util.Set;

/**
 * scikit-learn's internal helper classes that a fitted estimator keeps as training or search state and that
 * jpmml-sklearn has no constructor for, yet never needs: it reads the estimator's own fitted attributes and treats
 * these objects (when it touches them at all) as plain data. The {@link GuardedUnpickler} lets exactly these names
 * through to razorvine's generic fallback: an instance becomes an inert dictionary of its pickled state, and a class
 * passed as an argument to a function jpmml does register (newObj, __pyx_unpickle_...) becomes a constructor object
 * that jpmml ignores. The fallback accepts no constructor arguments, so nothing is ever called, in Java or Python.
 *
 * <p>The list is exact {@code module.Name} strings, never prefixes, and only under {@code sklearn.}; every entry
 * names the estimator that carries it and why the converter's output cannot depend on it. Classes whose state would
 * change the predictions jpmml computes are deliberately absent, so a pickle holding one stays refused instead of
 * being converted to a model that silently predicts something else:
 * <ul>
 *     <li>{@code sklearn._loss.link.LogLink} (and the Poisson/Gamma/Tweedie losses that use it): a
 *     HistGradientBoostingRegressor with such a loss predicts {@code exp} of its trees' sum, but jpmml's converter
 *     ignores the regressor's loss and would serve the raw sum;</li>
 *     <li>{@code sklearn.metrics._dist_metrics.MinkowskiDistance} (and the other metrics): it may carry Minkowski
 *     weights ({@code metric_params={'w': ...}}), which jpmml's nearest-neighbour converter ignores;</li>
 *     <li>the compiled halves of the other losses ({@code CyHalfTweedieLossIdentity} of the GLMs, ...): their
 *     estimators' conversions have not been checked against scikit-learn's predictions.</li>
 * </ul>
 */
final class InertSklearnTypes {
    private static final Set<String> NAMES = Set.of(
            // MLPClassifier / MLPRegressor fitted with solver='adam' (the default) or 'sgd' keep their optimizer in
            // _optimizer: learning-rate schedule, momentum and moment estimates needed only to resume training
            // (warm_start / partial_fit). jpmml encodes the network from coefs_, intercepts_, activation and
            // out_activation_ and never reads _optimizer. (solver='lbfgs' keeps no optimizer object.)
            "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
            "sklearn.neural_network._stochastic_optimizers.SGDOptimizer",

            // HistGradientBoostingClassifier / Regressor keep their training loss in _loss. jpmml registers the loss
            // classes (sklearn._loss.loss.*) and the Cython unpickle functions of their compiled halves
            // (sklearn._loss._loss.__pyx_unpickle_Cy*), but the pickle also names the compiled class itself, as the
            // first argument of that function: jpmml's constructor ignores its arguments. Only the losses whose
            // prediction is what jpmml encodes are listed: squared error, absolute error and quantile (pinball)
            // for the regressor (identity link: prediction = baseline + sum of trees), binomial and multinomial log
            // loss for the classifier (jpmml applies the logit / softmax itself).
            "sklearn._loss._loss.CyHalfSquaredError",
            "sklearn._loss._loss.CyAbsoluteError",
            "sklearn._loss._loss.CyPinballLoss",
            "sklearn._loss._loss.CyHalfBinomialLoss",
            "sklearn._loss._loss.CyHalfMultinomialLoss",
            // every loss holds the ranges of valid targets and raw predictions (interval_y_true, interval_y_pred) as
            // Interval dataclasses: four numbers used to validate training targets, never read by jpmml
            "sklearn._loss.link.Interval",
            // the regressors' identity link (loss.link); jpmml's HistGradientBoostingRegressor encodes baseline +
            // sum of trees without reading the loss, which is exactly the identity link's prediction
            "sklearn._loss.link.IdentityLink",

            // KNeighborsClassifier / KNeighborsRegressor fitted with algorithm 'auto', 'kd_tree' or 'ball_tree' keep
            // a search tree over the training rows in _tree (pickled as newObj(KDTree) / newObj(BallTree), whose
            // newObj jpmml registers). jpmml encodes a NearestNeighborModel from _fit_X, _y, n_neighbors, weights,
            // metric and p, and never reads _tree: the tree only speeds up the search, it does not change its result.
            "sklearn.neighbors._kd_tree.KDTree",
            "sklearn.neighbors._ball_tree.BallTree",
            // the distance metric held by that tree (newObj(EuclideanDistance), ...), for metric 'euclidean' /
            // 'manhattan' or 'minkowski' with p=2 / p=1. Neither takes parameters, so the metric and p jpmml reads
            // from the estimator describe it completely
            "sklearn.metrics._dist_metrics.EuclideanDistance",
            "sklearn.metrics._dist_metrics.ManhattanDistance");

    private InertSklearnTypes() {
    }

    /** Whether {@code global} ({@code module.Name}) is exactly one of the listed classes. */
    static boolean contains(String global) {
        return NAMES.contains(global);
    }

    /** The listed names, for tests and diagnostics. */
    static Set<String> names() {
        return NAMES;
    }
}
