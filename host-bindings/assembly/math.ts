// placeholder: JS-identical Math
