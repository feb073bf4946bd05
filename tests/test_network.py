import networkx as nx
import numpy as np

from govsim.network import SocialNetwork


def make(seed=1, n=2000, k=8, p=0.1):
    return SocialNetwork.small_world(n, k, p, np.random.default_rng(seed))


def test_seeded_and_different_across_seeds():
    a, b, c = make(1), make(1), make(2)
    assert np.array_equal(a.src, b.src) and np.array_equal(a.dst, b.dst)
    assert not np.array_equal(a.src, c.src)


def test_simple_graph_with_the_mean_degree_asked():
    net = make()
    assert np.all(net.src < net.dst)  # no self-loops, one orientation
    keys = net.src.astype(np.int64) * net.n + net.dst
    assert np.unique(keys).size == keys.size  # no duplicate ties
    assert abs(net.degree().mean() - 8) < 0.2  # rewiring drops only a few ties


def test_to_networkx_is_the_same_network():
    net = make(n=500)
    g = net.to_networkx()
    assert g.number_of_nodes() == 500 and g.number_of_edges() == net.n_ties
    assert all(g.has_edge(int(u), int(v)) for u, v in zip(net.src[:50], net.dst[:50], strict=True))


def test_small_world_clustering_beats_a_random_graph():
    g = make(n=3000, p=0.05).to_networkx()
    random = nx.gnm_random_graph(3000, g.number_of_edges(), seed=1)
    assert nx.average_clustering(g) > 5 * nx.average_clustering(random)


def test_no_ties_when_degree_is_zero():
    assert make(k=0).n_ties == 0
