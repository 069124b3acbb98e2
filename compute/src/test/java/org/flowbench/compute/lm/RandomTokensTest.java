package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomTokensTest {

    @Test
    void drawsEveryIdOfTheVocabularyAndTheSameBatchForTheSameSeed() {
        RandomTokens data = new RandomTokens(7, 5);
        LmBatch a = data.next(40, new SeededRandom(3));
        LmBatch b = data.next(40, new SeededRandom(3));
        assertThat(a.tokens()).containsExactly(b.tokens());
        assertThat(a.targets()).containsExactly(b.targets());
        assertThat(a.tokens()).hasSize(200);
        assertThat(Arrays.stream(a.tokens()).distinct().sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(Arrays.stream(a.targets()).allMatch(t -> t >= 0 && t < 7)).isTrue();
        assertThat(a.tokens()).isNotEqualTo(a.targets());
        assertThat(data.next(40, new SeededRandom(4)).tokens()).isNotEqualTo(a.tokens());
    }

    @Test
    void refusesAnEmptyVocabularyOrLength() {
        assertThatThrownBy(() -> new RandomTokens(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RandomTokens(5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
